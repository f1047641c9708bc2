import { ConfigResourceTypes, ConfigSource, type Kafka } from 'kafkajs';

/**
 * Sets configs of a topic on the (shared) broker for a test, and returns what puts the topic's own
 * back. kafkajs has only AlterConfigs, which replaces every override of the topic: the topic's
 * own overrides are read first and written again with the change, then alone.
 */
export async function overrideTopicConfigs(kafka: Kafka, topic: string, configs: Readonly<Record<string, string>>): Promise<() => Promise<void>> {
  const admin = kafka.admin();
  await admin.connect();
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  // The topic's own overrides only: a broker-wide setting written back would become one.
  const own = (described.resources[0]?.configEntries ?? []).filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG).map((e) => ({ name: e.configName, value: e.configValue }));
  const alter = (configEntries: { name: string; value: string }[]) =>
    admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries }] });
  try {
    await alter([...own.filter((e) => !(e.name in configs)), ...Object.entries(configs).map(([name, value]) => ({ name, value }))]);
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  return async () => {
    try {
      await alter(own);
    } finally {
      await admin.disconnect();
    }
  };
}
