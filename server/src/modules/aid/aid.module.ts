import { Module } from '@nestjs/common';

/** The aid module (being built). */
@Module({})
export class AidModule {}
