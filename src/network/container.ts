import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { freePort, TOXIPROXY_VERSION, waitForApi } from './process.js';
import { ToxiproxyApi } from './toxiproxy.js';

/** The image holdup starts; the name the testcontainers Toxiproxy module uses for this release. */
export const TOXIPROXY_IMAGE = `ghcr.io/shopify/toxiproxy:${TOXIPROXY_VERSION}`;

/** The local Docker-compatible socket to use: `DOCKER_HOST=unix://…`, else Docker's or Podman's default socket. */
export function containerSocket(env: NodeJS.ProcessEnv): { socket: string; from: string } | { socket: undefined; reason: string } {
  const host = env['DOCKER_HOST'];
  if (host) {
    if (!host.startsWith('unix://')) {
      return {
        socket: undefined,
        reason: `DOCKER_HOST=${host} is not a local unix socket; holdup runs Toxiproxy with host networking so it can reach its replay servers on 127.0.0.1, which needs a local engine`,
      };
    }
    return { socket: host.slice('unix://'.length), from: 'DOCKER_HOST' };
  }
  for (const socket of ['/var/run/docker.sock', '/run/podman/podman.sock']) {
    if (existsSync(socket)) return { socket, from: socket };
  }
  return { socket: undefined, reason: 'no container engine: DOCKER_HOST is not set and neither /var/run/docker.sock nor /run/podman/podman.sock exists' };
}

/** Whether the engine behind `socket` answers `GET /_ping` within `timeoutMs`. */
export function pingEngine(socket: string, timeoutMs = 2_000): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? { ok: true } : { ok: false, reason: `the container engine at ${socket} answered ${res.statusCode} to /_ping` });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, reason: `the container engine at ${socket} did not answer within ${timeoutMs} ms` });
    });
    req.on('error', (error) => resolve({ ok: false, reason: `the container engine at ${socket} does not answer (${error.message})` }));
    req.end();
  });
}

export interface StartedToxiproxyContainer {
  api: ToxiproxyApi;
  version: string;
  containerId: string;
  stop(): Promise<void>;
}

/**
 * Starts Toxiproxy in a container through testcontainers, with host networking and its API
 * on a free loopback port. The image must exist locally or be pullable.
 */
export async function startToxiproxyContainer(socket: string): Promise<StartedToxiproxyContainer> {
  process.env['DOCKER_HOST'] ??= `unix://${socket}`;
  // testcontainers takes a /.dockerenv as "inside a container" and would look for the engine's
  // gateway; with host networking the container is on this host's loopback
  process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= '127.0.0.1';
  const { GenericContainer, Wait } = await import('testcontainers');
  const port = await freePort();
  const container = await new GenericContainer(TOXIPROXY_IMAGE)
    .withNetworkMode('host')
    .withCommand(['-host', '127.0.0.1', '-port', String(port)])
    .withEnvironment({ LOG_LEVEL: 'info' })
    .withWaitStrategy(Wait.forLogMessage(/Starting Toxiproxy HTTP server/))
    .withStartupTimeout(30_000)
    .start();
  const api = new ToxiproxyApi(`http://127.0.0.1:${port}`);
  try {
    const version = await waitForApi(api, 10_000, () => undefined);
    let stopping: Promise<void> | undefined;
    return {
      api,
      version,
      containerId: container.getId(),
      stop: () => {
        stopping ??= container.stop({ remove: true, timeout: 2_000 }).then(() => undefined);
        return stopping;
      },
    };
  } catch (error) {
    await container.stop({ remove: true, timeout: 0 });
    throw error;
  }
}
