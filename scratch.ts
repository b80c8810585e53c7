import $RefParser from '@apidevtools/json-schema-ref-parser';
for (const f of ['/tmp/pet.yaml', '/tmp/bad.yaml', '/tmp/broken.yaml']) {
  try {
    const parsed = await $RefParser.parse(f, { resolve: { http: false } });
    const d = await $RefParser.dereference(f, parsed, { resolve: { http: false }, dereference: { circular: 'ignore' } });
    console.log(f, Object.keys((d as any).paths));
  } catch (e: any) { console.log(f, e.constructor.name, e.code, JSON.stringify(e.message), e.path, e.source, e.targetRef); }
}
