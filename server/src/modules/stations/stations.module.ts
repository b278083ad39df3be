import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { MembershipModule } from '../membership/membership.module';
import { OrgsModule } from '../orgs/orgs.module';
import { NearbyService } from './nearby.service';
import { PhotosService } from './photos.service';
import { StationCsvService } from './station-csv.service';
import { StationGeoIndex } from './station-geo-index';
import { StationsController } from './stations.controller';
import { StationsRepository } from './stations.repository';
import { StationsService } from './stations.service';
import { VisitsService } from './visits.service';

/** 户外劳动者服务站 / 爱心驿站: stations, nearby search, check-ins, ratings, reports, keepers. */
@Module({
  imports: [OrgsModule, MembershipModule, MessagesModule],
  controllers: [StationsController],
  providers: [StationsRepository, StationGeoIndex, StationsService, NearbyService, VisitsService, PhotosService, StationCsvService],
  exports: [StationsRepository, StationsService],
})
export class StationsModule {}
