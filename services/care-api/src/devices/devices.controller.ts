import { Body, Controller, Post } from '@nestjs/common';
import { RegisterDeviceRequest, type DeviceRegistrationResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { Roles } from '../auth/roles.decorator';
import { DevicesService } from './devices.service';

@Controller('api/v1/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @Roles('admin')
  register(@Body() body: unknown): Promise<DeviceRegistrationResponse> {
    return this.devices.register(parseRequest(RegisterDeviceRequest, body));
  }
}
