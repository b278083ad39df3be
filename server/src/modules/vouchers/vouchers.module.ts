import { Module } from '@nestjs/common';

/** The vouchers module (being built). */
@Module({})
export class VouchersModule {}
