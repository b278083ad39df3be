import { Module } from '@nestjs/common';

/** The stations module (being built). */
@Module({})
export class StationsModule {}
