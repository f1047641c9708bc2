import { Global, Module } from '@nestjs/common';
import { CareTeamsController } from './care-teams.controller';
import { CareTeamsService } from './care-teams.service';

@Global()
@Module({ controllers: [CareTeamsController], providers: [CareTeamsService], exports: [CareTeamsService] })
export class CareTeamsModule {}
