import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AddAlertNoteRequest,
  AlertListQuery,
  AssignAlertRequest,
  ResolveAlertRequest,
  SnoozeAlertRequest,
  type AlertListResponse,
  type AlertResponse,
} from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { careTeamScope, CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryRepository } from './alert-query.repository';
import { AlertStreamHub, type StreamedEvent } from './alert-stream.hub';

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertQueryRepository,
    private readonly lifecycle: AlertLifecycleService,
    private readonly stream: AlertStreamHub,
  ) {}

  /**
   * Server-sent events: every change of an alert the user may see (raised, evidence added,
   * returned to normal, acknowledged, resolved), numbered. A reconnecting screen sends the last
   * number it saw as Last-Event-ID and first gets what it missed. A comment every 15 s keeps
   * proxies from closing the connection. The screen re-reads the alert by its id.
   */
  @Get('stream')
  @Roles('admin', 'clinical_lead', 'nurse')
  async follow(
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    if (lastEventId !== undefined && !/^\d{1,18}$/.test(lastEventId)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Last-Event-ID: not an event number', issues: [{ field: 'Last-Event-ID', reason: 'not an event number' }] });
    }
    const scope = careTeamScope(user);
    const visible = (e: StreamedEvent) => scope === null || scope.includes(e.careTeamId);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.flushHeaders();
    let sent = lastEventId ?? (await this.stream.latestId());
    const send = (e: StreamedEvent) => {
      if (BigInt(e.id) <= BigInt(sent)) return;
      sent = e.id;
      if (visible(e)) response.write(`id: ${e.id}\nevent: alert\ndata: ${JSON.stringify(e.event)}\n\n`);
    };
    // Subscribe first, then replay: an event arriving meanwhile is sent once, in order (send skips what is behind).
    const buffered: StreamedEvent[] = [];
    let replaying = true;
    const unsubscribe = this.stream.subscribe((e) => (replaying ? buffered.push(e) : send(e)));
    for (let page = await this.stream.since(sent); page.length > 0; page = await this.stream.since(sent)) page.forEach(send);
    replaying = false;
    buffered.forEach(send);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  @Get()
  @Roles('admin', 'clinical_lead', 'nurse')
  list(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertListResponse> {
    return this.alerts.list(parseRequest(AlertListQuery, query), careTeamScope(user), user.sub);
  }

  @Get(':id')
  @Roles('admin', 'clinical_lead', 'nurse')
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.get(id, user);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  acknowledge(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.acknowledge(id, user);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  resolve(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.resolve(id, user, parseRequest(ResolveAlertRequest, body));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  assign(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.assign(id, user, parseRequest(AssignAlertRequest, body));
  }

  @Post(':id/unassign')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  unassign(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.unassign(id, user);
  }

  @Post(':id/notes')
  @HttpCode(201)
  @Roles('admin', 'nurse')
  addNote(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.addNote(id, user, parseRequest(AddAlertNoteRequest, body));
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  snooze(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.snooze(id, user, parseRequest(SnoozeAlertRequest, body));
  }

  @Delete(':id/snooze')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  unsnooze(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.unsnooze(id, user);
  }
}
