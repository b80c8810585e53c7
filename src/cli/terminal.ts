/** What the terminal (or CI log) holdup writes to can show, decided by the conventions of Node CLIs. */

type Stream = { isTTY?: boolean };

/**
 * ANSI colours, as Node itself decides (`tty.WriteStream#getColorDepth`): `FORCE_COLOR` forces them
 * on (`0` or `false`: off), else `NO_COLOR` (any value but empty) turns them off, else a TTY
 * whose `TERM` is not `dumb` has them.
 */
export function useColor(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['NO_COLOR']) return false;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/**
 * Progress redrawn in place on one line: only on a TTY outside CI. A CI log (the `CI` variable,
 * set by GitHub Actions, GitLab, CircleCI, Jenkins' plugins and the rest) keeps plain lines.
 */
export function liveProgress(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  return stream.isTTY === true && env['TERM'] !== 'dumb' && (ci === undefined || ci === '' || ci === '0' || ci.toLowerCase() === 'false');
}
