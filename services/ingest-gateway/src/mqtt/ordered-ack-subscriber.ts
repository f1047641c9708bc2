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
   * redelivers it (and every later one not yet acknowledged) to the resumed session.
   */
  readonly onMessage: (topic: string, payload: Buffer) => Promise<boolean>;
  readonly log: SubscriberLog;
}

interface Delivery {
  readonly messageId: number;
  settled: boolean;
  acknowledge: boolean;
}

const PROTOCOL_VERSION = 5;
const SUBSCRIBE_MESSAGE_ID = 1;
const MAX_GRANTED_QOS = 2;

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
  private socket: Socket | null = null;
  /** This connection's QoS 1 deliveries not yet PUBACKed, in arrival order. */
  private deliveries: Delivery[] = [];
  private flushScheduled = false;
  private subscribedNow = false;
  private stopping = false;
  private handling = 0;
  private lastPingAnswered = true;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly keepaliveSeconds: number;

  constructor(private readonly options: OrderedAckSubscriberOptions) {
    this.keepaliveSeconds = options.keepaliveSeconds ?? 30;
  }

  /** Connected with the subscription granted: messages flow. */
  get subscribed(): boolean {
    return this.subscribedNow;
  }

  /** Messages handed to onMessage whose outcome is not known yet. */
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
   */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const deadline = Date.now() + drainMs;
    while (this.handling > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    this.flushAcknowledgements();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.end(this.encode({ cmd: 'disconnect', reasonCode: 0 }));
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
    socket.destroy();
  }

  private open(): void {
    const { url, tls } = this.options;
    const target = new URL(url);
    const secure = target.protocol === 'mqtts:';
    const port = Number(target.port || (secure ? 8883 : 1883));
    const host = target.hostname;
    const socket = secure ? tlsConnect({ ...tls, host, port, ...(isIP(host) ? {} : { servername: host }) }) : tcpConnect({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.deliveries = [];
    this.lastPingAnswered = true;
    const parser = packetParser({ protocolVersion: PROTOCOL_VERSION });
    parser.on('packet', (packet: Packet) => this.onPacket(socket, packet));
    parser.on('error', (error: Error) => this.drop(socket, 'malformed packet from the broker', error));
    socket.on(secure ? 'secureConnect' : 'connect', () => socket.write(this.connectPacket()));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', (error) => this.options.log.warn('mqtt connection error', { clientId: this.options.clientId, error: error.message }));
    socket.on('close', () => this.onClose(socket));
    this.connectTimer = setTimeout(() => this.drop(socket, 'no CONNACK in time'), this.options.connectTimeoutMs ?? 30_000);
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

  private onPacket(socket: Socket, packet: Packet): void {
    if (socket !== this.socket) return;
    switch (packet.cmd) {
      case 'connack':
        return this.onConnack(socket, packet.reasonCode ?? 0, packet.sessionPresent);
      case 'suback':
        return this.onSuback(socket, packet.granted as number[]);
      case 'publish':
        return this.onPublish(socket, packet);
      case 'pingresp':
        this.lastPingAnswered = true;
        return;
      case 'disconnect':
        this.options.log.warn('mqtt broker disconnected us', { clientId: this.options.clientId, reasonCode: packet.reasonCode });
        socket.destroy();
        return;
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
        this.drop(socket, `unexpected ${packet.cmd} from the broker`);
    }
  }

  private onConnack(socket: Socket, reasonCode: number, sessionPresent: boolean): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (reasonCode !== 0) return this.drop(socket, `CONNECT refused with reason code ${reasonCode}`);
    this.options.log.info('mqtt connected', { clientId: this.options.clientId, sessionPresent });
    // Always sent, also on a resumed session: Mosquitto 2.0.11 restores a session but not its
    // shared subscription after a restart (found by npm run test:faults).
    socket.write(this.encode({ cmd: 'subscribe', messageId: SUBSCRIBE_MESSAGE_ID, subscriptions: [{ topic: this.options.filter, qos: 1 }] }));
    this.keepaliveTimer = setInterval(() => this.ping(socket), (this.keepaliveSeconds * 1000) / 2);
  }

  private onSuback(socket: Socket, granted: number[]): void {
    if (granted.length !== 1 || granted.some((code) => code > MAX_GRANTED_QOS)) {
      return this.drop(socket, `subscription refused: ${granted.join(',')}`);
    }
    this.subscribedNow = true;
  }

  private onPublish(socket: Socket, packet: IPublishPacket): void {
    if (packet.properties?.topicAlias !== undefined) return this.drop(socket, 'topic alias, which we never allowed');
    if (packet.qos === 2) return this.drop(socket, 'QoS 2 delivery on a QoS 1 subscription');
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // While stopping nothing new is taken: the broker keeps it and redelivers it to the session.
    if (this.stopping) return;
    const delivery: Delivery | null = packet.qos === 1 && packet.messageId !== undefined ? { messageId: packet.messageId, settled: false, acknowledge: false } : null;
    if (delivery) this.deliveries.push(delivery);
    // Mosquitto 2.0.11 sends a session's whole queue once a PUBACK frees a slot, past our receive
    // maximum (seen here): reading stops instead, so what we hold stays bounded.
    if (this.deliveries.length >= this.options.receiveMaximum && !socket.isPaused()) socket.pause();
    this.handling++;
    void this.options
      .onMessage(packet.topic, payload)
      .then(
        (safe) => safe,
        () => false,
      )
      .then((safe) => {
        this.handling--;
        if (!delivery || socket !== this.socket) return;
        delivery.settled = true;
        delivery.acknowledge = safe;
        // Held, it would block every later PUBACK of the connection: start over, so the broker
        // redelivers it and those after it to the resumed session.
        if (!safe && !this.stopping) {
          this.flushAcknowledgements();
          return this.drop(socket, 'a message could not be made safe; reconnecting for its redelivery');
        }
        this.scheduleFlush();
      });
  }

  /** Kafka acknowledges a request's records together: their PUBACKs leave in one write. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushAcknowledgements();
    });
  }

  private flushAcknowledgements(): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    const acks: Buffer[] = [];
    // In arrival order: a message not yet safe holds back the PUBACKs of those after it.
    while (this.deliveries[0]?.settled && this.deliveries[0].acknowledge) {
      const { messageId } = this.deliveries.shift()!;
      acks.push(this.encode({ cmd: 'puback', messageId, reasonCode: 0 }));
    }
    if (acks.length) socket.write(acks.length === 1 ? acks[0]! : Buffer.concat(acks));
    if (socket.isPaused() && this.deliveries.length < this.options.receiveMaximum) socket.resume();
  }

  private ping(socket: Socket): void {
    // While we do not read, an answer cannot arrive: only keep our side of the keepalive.
    if (socket.isPaused()) {
      socket.write(this.encode({ cmd: 'pingreq' }));
      return;
    }
    if (!this.lastPingAnswered) return this.drop(socket, 'no PINGRESP within the keepalive');
    this.lastPingAnswered = false;
    socket.write(this.encode({ cmd: 'pingreq' }));
  }

  private drop(socket: Socket, reason: string, error?: Error): void {
    this.options.log.warn('mqtt connection dropped', { clientId: this.options.clientId, reason, error: error?.message });
    socket.destroy();
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.subscribedNow = false;
    // Deliveries of this connection can no longer be acknowledged: the broker redelivers them.
    this.deliveries = [];
    this.socket = null;
    if (this.stopping) return;
    this.reconnectTimer = setTimeout(() => this.open(), this.options.reconnectPeriodMs ?? 1_000);
  }

  private encode(packet: Packet): Buffer {
    return generate(packet, { protocolVersion: PROTOCOL_VERSION });
  }
}
