/**
 * The demo loop: the four services as separate processes, then the simulator. Prints
 * where to look; Ctrl-C (SIGINT) or SIGTERM stops everything gracefully, then infra.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ServiceProcess } from '@rpm/testing';
import { serviceEnvironment, workspaceRoot } from '@rpm/service-kit';

const args = process.argv.slice(2);
const withSimulator = !args.includes('--no-simulator');
const keepInfra = args.includes('--keep-infra');
const passed = args.filter((a) => a !== '--no-simulator' && a !== '--keep-infra');
// By default the fleet backfills three days at two simulated hours a second, then runs live,
// so the worklist fills within a minute.
const simulatorArgs = passed.length > 0 ? passed : ['--patients', '20', '--days', '3', '--speed', '7200'];

const services = [
  new ServiceProcess('vitals-store', 3003, {}),
  new ServiceProcess('rules-engine', 3002, {}),
  new ServiceProcess('ingest-gateway', 3001, {}),
  new ServiceProcess('care-api', 3000, {}),
];
const simulator = new ServiceProcess('device-simulator', null, {}, simulatorArgs);

let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  console.log('\n[demo] stopping (in-flight work finishes first)...');
  await simulator.stop();
  // Producers before consumers: the gateway first, then the stream services, the API last.
  for (const name of ['ingest-gateway', 'rules-engine', 'vitals-store', 'care-api']) {
    await services.find((s) => s.name === name)?.stop();
  }
  if (!keepInfra) execFileSync('bash', [join(workspaceRoot(), 'infra', 'down.sh')], { stdio: 'inherit' });
  console.log('[demo] stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  console.log('[demo] starting services (logs in .data/logs/)...');
  await Promise.all(services.map((s) => s.start()));
  console.log(`
[demo] the pipeline is up
  care-api         http://127.0.0.1:3000   (worklist API; /readyz, /metrics)
  ingest-gateway   http://127.0.0.1:3001/metrics
  rules-engine     http://127.0.0.1:3002/metrics
  vitals-store     http://127.0.0.1:3003/metrics
  MQTT             ${serviceEnvironment()['MQTT_URL'] ?? 'mqtts://127.0.0.1:8884'}   (TLS, CA .rpm/ca.crt; devices: rpm/devices/{deviceId}/readings)
  Kafka            127.0.0.1:9092

  TOKEN=$(npm run -s token -- --role nurse)
  curl -s -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:3000/api/v1/alerts?status=open' | head -c 2000
  tail -f .data/logs/*.log
`);
  if (withSimulator) {
    await simulator.start({ waitReady: false });
    console.log('[demo] device simulator running (stats in .data/logs/device-simulator.log); Ctrl-C stops everything');
  } else {
    console.log('[demo] no simulator; Ctrl-C stops everything');
  }
}

main().catch(async (error: unknown) => {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
