import type { DeviceMessage } from '../messages/message-builder';

/** Why a message goes out when it does. */
export type PublishReason = 'on_time' | 'resend' | 'late_batch' | 'error_frame';

/** One MQTT publish the fleet will make: the message, the device, and the (simulated) moment. */
export interface PublishEvent {
  readonly publishAtMs: number;
  readonly deviceId: string;
  readonly reason: PublishReason;
  readonly message: DeviceMessage;
}
