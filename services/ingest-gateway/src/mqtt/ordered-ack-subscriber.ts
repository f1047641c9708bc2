import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { generate, parser as packetParser, type IPublishPacket, type Packet } from 'mqtt-packet';

/** What the subscriber reports; ids only, never payloads (they carry readings). */
export interface SubscriberLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface OrderedAckSubscriberOptions {
  /** mqtt:// or mqtts:// */
  readonly url: string;
  /** CA, client certificate and key for mqtts:// (mqttTlsOptions). */
  readonly tls: ConnectionOptions;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  /** Subscribed at QoS 1 on every connect, also when the broker resumed the session. */
  readonly filter: string;
  /** How long the broker keeps the session, and the messages it holds for us, while we are away. */
  readonly sessionExpiryInterval: number;
  /** Messages in flight on this connection: the broker sends no more until we PUBACK. */
  readonly receiveMaximum: number;
  readonly keepaliveSeconds?: number;
  readonly reconnectPeriodMs?: number;
  /** CONNECT to CONNACK; generous, as a broker rewriting its persistence file answers late. */
  readonly connectTimeoutMs?: number;
  /**
   * One delivered message. Resolve true once it is safe (the PUBACK is then sent, in order);
   * false or a rejection leaves it unacknowledged: the connection starts over and the broker
   * redelivers it (and every later one not yet acknowledged) to the resumed session. `closed` is
   * aborted when the connection it came on ends: its PUBACK can no longer be sent, so a handler
   * that retries may give up.
   */
  readonly onMessage: (topic: string, payload: Buffer, closed: AbortSignal) => Promise<boolean>;
  readonly log: SubscriberLog;
}

interface Delivery {
  readonly messageId: number;
  settled: boolean;
  acknowledge: boolean;
}

/** One connection's state, replaced whole on every reconnect: nothing of an old one leaks into the next. */
class Connection {
  /** QoS 1 deliveries not yet PUBACKed, in arrival order. */
  readonly deliveries: Delivery[] = [];
  /** onMessage calls of this connection not yet settled (QoS 0 ones too). */
  handling = 0;
  connected = false;
  subscribed = false;
  /** Dropped, closed or stopping: its packets are ignored and nothing more is written. */
  retired = false;
  heardSinceLastPing = true;
  flushScheduled = false;
  keepaliveTimer: NodeJS.Timeout | null = null;
  connectTimer: NodeJS.Timeout | null = null;
  readonly closed = new AbortController();

  constructor(readonly socket: Socket) {}

  get writable(): boolean {
    return !this.socket.destroyed && !this.socket.writableEnded;
  }

  clearTimers(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.keepaliveTimer = null;
    this.connectTimer = null;
  }
}

const PROTOCOL_VERSION = 5;
const SUBSCRIBE_MESSAGE_ID = 1;
const SUBSCRIBED_QOS = 1;
/** After a drop, how long the PUBACKs already written get to leave before the socket is destroyed. */
const DROP_GRACE_MS = 1_000;

/**
 * An MQTT v5 subscriber of a persistent (shared) subscription that takes a connection's messages
 * as they arrive, up to receiveMaximum at once, and PUBACKs each only when `onMessage` says it is
 * safe, in the order the messages arrived (MQTT 5 §4.6).
 *
 * Why not mqtt.js: its client hands a connection its next PUBLISH only after the previous one was
 * acknowledged, so a PUBACK that waits for Kafka allowed one message per connection per Kafka round
 * trip (ADR 0002, docs/performance.md). This speaks only what a subscriber needs: CONNECT,
 * SUBSCRIBE, PUBLISH in, PUBACK out, PINGREQ, DISCONNECT.
 */
export class OrderedAckSubscriber {
  private connection: Connection | null = null;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly keepaliveSeconds: number;
  /** onMessage calls not yet settled, of every connection (those of a closed one may still be writing). */
  private handling = 0;

  constructor(private readonly options: OrderedAckSubscriberOptions) {
    this.keepaliveSeconds = Math.max(1, options.keepaliveSeconds ?? 30);
  }

  /** Connected with the subscription granted: messages flow. */
  get subscribed(): boolean {
    return this.connection?.subscribed ?? false;
  }

  /** Messages handed to onMessage whose outcome is not known yet, the current connection's and any closed one's. */
  get inflight(): number {
    return this.handling;
  }

  start(): void {
    this.stopping = false;
    this.open();
  }

  /**
   * Takes no more messages, waits up to `drainMs` for those in hand, PUBACKs what is safe and
   * disconnects; the session, and every message not acknowledged, stays with the broker.
   * Resolves to how many messages it left unacknowledged (the broker redelivers them), those still
   * being written for a connection that closed before included.
   */
  async stop(drainMs: number): Promise<number> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    // Writes of connections that closed before: their PUBACKs can no longer be sent.
    if (!connection) return this.handling;
    const deadline = Date.now() + drainMs;
    while (connection.handling > 0 && !connection.retired && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const left = () => connection.deliveries.length + (this.handling - connection.handling);
    if (connection.retired) return left();
    const { socket } = connection;
    if (!connection.connected) {
      this.retire(connection);
      socket.destroy();
      return left();
    }
    this.flushAcknowledgements(connection);
    this.retire(connection);
    const unacknowledged = left();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.end(this.encode({ cmd: 'disconnect', reasonCode: 0 }));
    // Reads what is still coming (ignored), so the broker's close can reach us.
    socket.resume();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    socket.destroy();
    return unacknowledged;
  }

  private open(): void {
    const { url, tls } = this.options;
    const target = new URL(url);
    const secure = target.protocol === 'mqtts:';
    const port = Number(target.port || (secure ? 8883 : 1883));
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const socket = secure ? tlsConnect({ ...tls, host, port, ...(isIP(host) ? {} : { servername: host }) }) : tcpConnect({ host, port });
    socket.setNoDelay(true);
    const connection = new Connection(socket);
    this.connection = connection;
    const parser = packetParser({ protocolVersion: PROTOCOL_VERSION });
    parser.on('packet', (packet: Packet) => this.onPacket(connection, packet));
    parser.on('error', (error: Error) => this.drop(connection, 'malformed packet from the broker', error));
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      if (connection.writable) socket.write(this.connectPacket());
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', (error) => this.options.log.warn('mqtt connection error', { clientId: this.options.clientId, error: error.message }));
    socket.on('close', () => this.onClose(connection));
    connection.connectTimer = setTimeout(() => this.drop(connection, 'no CONNACK in time'), this.options.connectTimeoutMs ?? 30_000);
  }

  private connectPacket(): Buffer {
    const { clientId, username, password, sessionExpiryInterval, receiveMaximum } = this.options;
    return this.encode({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: PROTOCOL_VERSION,
      clean: false,
      clientId,
      keepalive: this.keepaliveSeconds,
      username,
      password: Buffer.from(password),
      properties: { sessionExpiryInterval, receiveMaximum },
    });
  }

  private onPacket(connection: Connection, packet: Packet): void {
    if (connection.retired) return;
    connection.heardSinceLastPing = true;
    switch (packet.cmd) {
      case 'connack':
        return this.onConnack(connection, packet.reasonCode ?? 0, packet.sessionPresent);
      case 'suback':
        return this.onSuback(connection, packet.granted as number[]);
      case 'publish':
        return this.onPublish(connection, packet);
      case 'pingresp':
        return;
      case 'disconnect':
        return this.drop(connection, `the broker disconnected us (reason code ${packet.reasonCode ?? 0})`);
      // Never sent to a subscriber that publishes nothing, unsubscribes nothing and uses no enhanced auth.
      case 'auth':
      case 'connect':
      case 'pingreq':
      case 'puback':
      case 'pubcomp':
      case 'pubrec':
      case 'pubrel':
      case 'subscribe':
      case 'unsuback':
      case 'unsubscribe':
        return this.drop(connection, `unexpected ${packet.cmd} from the broker`);
    }
  }

  private onConnack(connection: Connection, reasonCode: number, sessionPresent: boolean): void {
    if (connection.connectTimer) clearTimeout(connection.connectTimer);
    if (reasonCode !== 0) return this.drop(connection, `CONNECT refused with reason code ${reasonCode}`);
    if (connection.connected) return this.drop(connection, 'a second CONNACK');
    connection.connected = true;
    this.options.log.info('mqtt connected', { clientId: this.options.clientId, sessionPresent });
    // Always sent, also on a resumed session: Mosquitto 2.0.11 restores a session but not its
    // shared subscription after a restart (found by npm run test:faults).
    connection.socket.write(this.encode({ cmd: 'subscribe', messageId: SUBSCRIBE_MESSAGE_ID, subscriptions: [{ topic: this.options.filter, qos: SUBSCRIBED_QOS }] }));
    connection.keepaliveTimer = setInterval(() => this.ping(connection), (this.keepaliveSeconds * 1000) / 2);
  }

  private onSuback(connection: Connection, granted: number[]): void {
    // Anything but QoS 1 (a failure code, or a downgrade to QoS 0 with no redelivery) will not do.
    if (granted.length !== 1 || granted[0] !== SUBSCRIBED_QOS) return this.drop(connection, `subscription not granted at QoS 1: ${granted.join(',')}`);
    connection.subscribed = true;
  }

  private onPublish(connection: Connection, packet: IPublishPacket): void {
    if (packet.properties?.topicAlias !== undefined) return this.drop(connection, 'topic alias, which we never allowed');
    if (packet.qos === 2) return this.drop(connection, 'QoS 2 delivery on a QoS 1 subscription');
    // While stopping nothing new is taken: the broker keeps it and redelivers it to the session.
    if (this.stopping) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const delivery: Delivery | null = packet.qos === 1 && packet.messageId !== undefined ? { messageId: packet.messageId, settled: false, acknowledge: false } : null;
    if (delivery) connection.deliveries.push(delivery);
    connection.handling++;
    this.handling++;
    // Mosquitto 2.0.11 sends a session's whole queue once a PUBACK frees a slot, past our receive
    // maximum (seen here): reading stops instead, so what we hold stays bounded.
    if (this.holding(connection) >= this.options.receiveMaximum && !connection.socket.isPaused()) connection.socket.pause();
    void this.options
      .onMessage(packet.topic, payload, connection.closed.signal)
      .then(
        (safe) => safe,
        () => false,
      )
      .then((safe) => {
        connection.handling--;
        this.handling--;
        if (connection.retired) return;
        if (delivery) {
          delivery.settled = true;
          delivery.acknowledge = safe;
          // Held, it would block every later PUBACK of the connection: start over, so the broker
          // redelivers it and those after it to the resumed session.
          if (!safe && !this.stopping) return this.drop(connection, 'a message could not be made safe; reconnecting for its redelivery');
        }
        this.scheduleFlush(connection);
      });
  }

  /** What the connection holds: unacknowledged deliveries, or handlers still running (QoS 0 included). */
  private holding(connection: Connection): number {
    return Math.max(connection.deliveries.length, connection.handling);
  }

  /** Kafka acknowledges a request's records together: their PUBACKs leave in one write. */
  private scheduleFlush(connection: Connection): void {
    if (connection.flushScheduled) return;
    connection.flushScheduled = true;
    setImmediate(() => {
      connection.flushScheduled = false;
      this.flushAcknowledgements(connection);
    });
  }

  private flushAcknowledgements(connection: Connection): void {
    if (!connection.writable) return;
    const acks: Buffer[] = [];
    const { deliveries, socket } = connection;
    // In arrival order: a message not yet safe holds back the PUBACKs of those after it.
    while (deliveries[0]?.settled && deliveries[0].acknowledge) {
      const { messageId } = deliveries.shift()!;
      acks.push(this.encode({ cmd: 'puback', messageId, reasonCode: 0 }));
    }
    if (acks.length) socket.write(acks.length === 1 ? acks[0]! : Buffer.concat(acks));
    if (socket.isPaused() && !connection.retired && this.holding(connection) < this.options.receiveMaximum) socket.resume();
  }

  private ping(connection: Connection): void {
    if (!connection.writable) return;
    // While we do not read, nothing can be heard: only keep our side of the keepalive. Any packet
    // counts as a sign of life (a PINGRESP may wait behind a queue the broker is sending us).
    if (!connection.socket.isPaused()) {
      if (!connection.heardSinceLastPing) return this.drop(connection, 'nothing heard from the broker within the keepalive');
      connection.heardSinceLastPing = false;
    }
    connection.socket.write(this.encode({ cmd: 'pingreq' }));
  }

  /** No more packets or results of this connection count; the broker keeps its messages for the next. */
  private retire(connection: Connection): void {
    connection.retired = true;
    connection.clearTimers();
    connection.closed.abort();
  }

  /** Ends a connection (its safe PUBACKs first), and the close makes the next one. */
  private drop(connection: Connection, reason: string, error?: Error): void {
    if (connection.retired) return;
    this.options.log.warn('mqtt connection dropped', { clientId: this.options.clientId, reason, error: error?.message });
    if (connection.connected) this.flushAcknowledgements(connection);
    this.retire(connection);
    const { socket } = connection;
    // end, not destroy: the PUBACKs just written still leave; reading on lets the close arrive.
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), DROP_GRACE_MS).unref();
  }

  private onClose(connection: Connection): void {
    this.retire(connection);
    if (connection !== this.connection) return;
    this.connection = null;
    if (this.stopping) return;
    // Jittered, so the connections of an instance do not reconnect in lockstep.
    const delayMs = (this.options.reconnectPeriodMs ?? 1_000) * (0.5 + Math.random());
    this.reconnectTimer = setTimeout(() => this.open(), delayMs);
  }

  private encode(packet: Packet): Buffer {
    return generate(packet, { protocolVersion: PROTOCOL_VERSION });
  }
}
