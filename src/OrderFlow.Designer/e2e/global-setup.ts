import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { USERS } from './users';

const here = dirname(fileURLToPath(import.meta.url));
const serverDir = resolve(here, '../../OrderFlow.Server');
const serverDll = resolve(serverDir, 'bin/Release/net10.0/OrderFlow.Server.dll');
export const simulatorDir = resolve(here, '../../OrderFlow.SupplierSimulator');
export const simulatorDll = resolve(simulatorDir, 'bin/Release/net10.0/OrderFlow.SupplierSimulator.dll');
export const resultsDir = resolve(here, '../test-results');

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    simulatorUrl: string;
  }
}

/** Npgsql connection string → node-postgres settings. */
function parseConnectionString(text: string): pg.ClientConfig {
  const parts = new Map(text.split(';').filter(Boolean).map((p) => {
    const [k, ...v] = p.split('=');
    return [k!.trim().toLowerCase(), v.join('=').trim()] as const;
  }));
  return {
    host: parts.get('host') ?? '127.0.0.1',
    port: Number(parts.get('port') ?? 5432),
    user: parts.get('username') ?? parts.get('user id') ?? parts.get('user'),
    password: parts.get('password'),
    database: parts.get('database') ?? 'postgres',
  };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function waitForHealth(url: string, server: ChildProcess, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}; see test-results/e2e-server.log`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not answer ${url}/health within ${seconds} s; see test-results/e2e-server.log`);
}

/**
 * Starts the built server on a database of its own (created from ORDERFLOW_TEST_DB, which ./orderflow test exports)
 * on a free loopback port, for every end-to-end test; stops it and drops the database afterwards.
 */
export default async function setup(project: TestProject) {
  const admin = process.env.ORDERFLOW_TEST_DB;
  if (!admin) throw new Error('ORDERFLOW_TEST_DB is not set: run the end-to-end tests with ./orderflow test (or npm run test:unit for the unit tests alone).');
  if (!existsSync(serverDll)) throw new Error(`${serverDll} is missing: build the server first (dotnet build -c Release).`);
  if (!existsSync(resolve(serverDir, 'wwwroot/index.html'))) throw new Error('The console is not built: npm run build.');

  const database = `e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const adminConfig = parseConnectionString(admin);
  const client = new pg.Client(adminConfig);
  await client.connect();
  await client.query(`CREATE DATABASE "${database}"`);
  await client.end();

  mkdirSync(resultsDir, { recursive: true });
  // The supplier simulator stands in for suppliers, carriers and the demo storefront, so real orders can flow.
  const simulatorUrl = `http://127.0.0.1:${await freePort()}`;
  const simulator = spawn('dotnet', [simulatorDll, '--urls', simulatorUrl], { cwd: simulatorDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const simulatorLog = createWriteStream(resolve(resultsDir, 'e2e-simulator.log'));
  simulator.stdout!.pipe(simulatorLog);
  simulator.stderr!.pipe(simulatorLog);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(resolve(resultsDir, 'e2e-server.log'));
  const users = Object.fromEntries(USERS.flatMap((u, i) => [
    [`OrderFlow__Ops__Users__${i}__Name`, u.name],
    [`OrderFlow__Ops__Users__${i}__Password`, u.password],
    [`OrderFlow__Ops__Users__${i}__Role`, u.role],
  ]));
  const server = spawn('dotnet', [serverDll, '--urls', baseUrl], {
    cwd: serverDir,
    env: {
      ...process.env,
      ...users,
      // Demo: the seeded demo-shop merchant and suppliers at the simulator, with fast tracking polls.
      ASPNETCORE_ENVIRONMENT: 'Demo',
      OrderFlow__Demo__Enabled: 'true',
      OrderFlow__Demo__SimulatorBaseUrl: simulatorUrl,
      OrderFlow__Mail__PickupDirectory: resolve(resultsDir, 'mail'),
      ConnectionStrings__OrderFlow: `${admin.replace(/Database=[^;]*/i, '').replace(/;+$/, '')};Database=${database}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);

  const stop = async (process: ChildProcess) => {
    if (process.exitCode !== null) return;
    process.kill('SIGTERM');
    await new Promise((r) => { process.once('exit', r); setTimeout(r, 10_000); });
    if (process.exitCode === null) process.kill('SIGKILL');
  };
  const teardown = async () => {
    await stop(simulator);
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => { server.once('exit', r); setTimeout(r, 10_000); });
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    const dropper = new pg.Client(adminConfig);
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await dropper.end();
  };

  try {
    await waitForHealth(simulatorUrl, simulator, 60);
    await waitForHealth(baseUrl, server, 120);
  } catch (e) {
    await teardown();
    throw e;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('simulatorUrl', simulatorUrl);
  return teardown;
}
