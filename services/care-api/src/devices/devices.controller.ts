import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { BindDeviceRequest, DeviceId, DeviceListQuery, RegisterDeviceRequest, UnbindDeviceRequest, type DeviceRegistrationResponse, type DeviceResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { z } from 'zod';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { DeviceBindings } from './device-bindings';
import { DevicesService } from './devices.service';

const DeviceParams = z.object({ id: DeviceId });

/** Device administration: registration, and which patient a device reports for over time. */
@Controller('api/v1/devices')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly bindings: DeviceBindings,
  ) {}

  @Post()
  @Roles('admin')
  register(@Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DeviceRegistrationResponse> {
    return this.devices.register(parseRequest(RegisterDeviceRequest, body), user.sub);
  }

  /** Devices with their binding, last seen time, battery and firmware. */
  @Get()
  @Roles('admin')
  list(@Query() query: unknown): Promise<DeviceResponse[]> {
    return this.bindings.list(parseRequest(DeviceListQuery, query));
  }

  /** A new password, returned once; the old one stops working at once. */
  @Post(':id/credentials/rotate')
  @HttpCode(200)
  @Roles('admin')
  rotate(@Param() params: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DeviceRegistrationResponse> {
    return this.devices.rotatePassword(parseRequest(DeviceParams, params).id, user.sub);
  }

  /** The device is disconnected and refused from then on. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('admin')
  async revoke(@Param() params: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DeviceResponse> {
    const { id } = parseRequest(DeviceParams, params);
    await this.devices.revoke(id, user.sub);
    return this.bindings.get(id);
  }

  /** The device and its binding history. */
  @Get(':id')
  @Roles('admin')
  get(@Param() params: unknown): Promise<DeviceResponse> {
    return this.bindings.get(parseRequest(DeviceParams, params).id);
  }

  /** Moves the device to a patient from an instant: earlier readings stay with the patient before. */
  @Put(':id/binding')
  @Roles('admin')
  bind(@Param() params: unknown, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DeviceResponse> {
    return this.bindings.bind(parseRequest(DeviceParams, params).id, parseRequest(BindDeviceRequest, body), user.sub);
  }

  /** The device came back: bound to nobody from an instant; its later readings are quarantined. */
  @Delete(':id/binding')
  @Roles('admin')
  unbind(@Param() params: unknown, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DeviceResponse> {
    return this.bindings.unbind(parseRequest(DeviceParams, params).id, parseRequest(UnbindDeviceRequest, body ?? {}), user.sub);
  }
}
