// kafkajs@2.2.4 compatibility smoke test against the local broker (run via infra/kafka/check-kafkajs.sh).
// Covers: admin (createTopics, listTopics, fetchTopicMetadata, describeCluster, fetchTopicOffsets,
// describeConfigs, fetchOffsets, describeGroups, deleteTopics), idempotent producer with acks=-1,
// a consumer group with eachBatch + manual commitOffsets, and a second member joining (rebalance).
const { Kafka, logLevel } = require('kafkajs');
const brokers = [process.env.BROKER || '127.0.0.1:9092'];
const kafka = new Kafka({ clientId: 'kjs-compat', brokers, logLevel: logLevel.WARN });
const topic = 'kjs.compat.' + Date.now();
const group = 'kjs-compat-g-' + Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (m) => console.log('[ok] ' + m);
async function waitFor(cond, ms, what) {
  const t0 = Date.now();
  while (!cond()) { if (Date.now() - t0 > ms) throw new Error('timeout waiting for ' + what); await sleep(100); }
}
(async () => {
  const timer = setTimeout(() => { console.error('GLOBAL TIMEOUT'); process.exit(2); }, 90000);
  const admin = kafka.admin();
  await admin.connect(); step('admin.connect');
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 4, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] }] });
  step('admin.createTopics ' + topic);
  const topics = await admin.listTopics(); step('admin.listTopics -> ' + topics.length + ' topics: ' + topics.join(','));
  const md = await admin.fetchTopicMetadata({ topics: [topic] });
  step('admin.fetchTopicMetadata partitions=' + md.topics[0].partitions.length + ' leaders=' + md.topics[0].partitions.map((p) => p.leader).join(','));
  const cl = await admin.describeCluster(); step('admin.describeCluster controller=' + cl.controller + ' brokers=' + cl.brokers.length);

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect(); step('producer.connect (idempotent)');
  const N = 40;
  const mk = (from, n) => Array.from({ length: n }, (_, i) => ({ key: 'k' + ((from + i) % 10), value: JSON.stringify({ i: from + i }) }));
  const r1 = await producer.send({ topic, acks: -1, messages: mk(0, N / 2) });
  step('producer.send acks=-1 -> ' + JSON.stringify(r1.map((x) => [x.partition, x.baseOffset])));
  await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: mk(N / 2, N / 2) }] });
  step('producer.sendBatch acks=-1');

  const seen = new Map(); let assign = {};
  const mkConsumer = (name) => {
    const c = kafka.consumer({ groupId: group, sessionTimeout: 10000, heartbeatInterval: 1000, rebalanceTimeout: 20000 });
    c.on(c.events.GROUP_JOIN, (e) => { assign[name] = e.payload.memberAssignment; console.log(`  [${name}] GROUP_JOIN leader=${e.payload.isLeader} assignment=${JSON.stringify(e.payload.memberAssignment)}`); });
    c.on(c.events.CRASH, (e) => console.log(`  [${name}] CRASH ${e.payload.error}`));
    return c;
  };
  const run = async (c, name) => {
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) { const v = JSON.parse(m.value.toString()).i; seen.set(v, (seen.get(v) || 0) + 1); resolveOffset(m.offset); }
        await c.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
        await heartbeat();
      },
    });
  };
  const c1 = mkConsumer('c1'); await run(c1, 'c1'); step('consumer c1 subscribed fromBeginning, eachBatch, manual commit');
  await waitFor(() => seen.size >= N, 30000, 'first ' + N + ' messages'); step('c1 consumed ' + seen.size + ' messages');
  const c2 = mkConsumer('c2'); await run(c2, 'c2'); step('consumer c2 joined same group');
  await waitFor(() => assign.c2 && Object.values(assign.c2).flat().length > 0 && assign.c1 && Object.values(assign.c1).flat().length < 4, 30000, 'rebalance to split partitions');
  step('rebalance: c1=' + JSON.stringify(assign.c1) + ' c2=' + JSON.stringify(assign.c2));
  await producer.send({ topic, acks: -1, messages: mk(N, N) });
  await waitFor(() => seen.size >= 2 * N, 30000, 'second batch'); step('after rebalance consumed total ' + seen.size + ' distinct; duplicates=' + [...seen.values()].filter((x) => x > 1).length);
  await sleep(500);
  const offs = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const committed = offs[0].partitions.reduce((a, p) => a + Math.max(0, Number(p.offset)), 0);
  const hw = await admin.fetchTopicOffsets(topic); step('admin.fetchTopicOffsets high=' + hw.map((p) => p.high).join(','));
  const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }] });
  step('admin.describeConfigs cleanup.policy=' + cfg.resources[0].configEntries[0].configValue);
  step('admin.fetchOffsets committed sum=' + committed + ' (expected ' + 2 * N + ')');
  if (committed !== 2 * N) throw new Error('committed offsets mismatch');
  const gd = await admin.describeGroups([group]); step('admin.describeGroups state=' + gd.groups[0].state + ' members=' + gd.groups[0].members.length + ' protocol=' + gd.groups[0].protocol);
  await c1.disconnect(); await c2.disconnect(); await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }); step('admin.deleteTopics');
  await admin.disconnect();
  clearTimeout(timer);
  console.log('KAFKAJS COMPAT: PASS');
})().catch((e) => { console.error('KAFKAJS COMPAT: FAIL', e && (e.stack || e)); process.exit(1); });
