import { Global, Module } from '@nestjs/common';
import { AlertEventOutbox } from './alert-event-outbox';
import { EventPublisher } from './event.publisher';

@Global()
@Module({ providers: [EventPublisher, AlertEventOutbox], exports: [EventPublisher, AlertEventOutbox] })
export class MessagingModule {}
