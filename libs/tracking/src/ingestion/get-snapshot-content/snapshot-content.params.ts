import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { queryBoolean } from '../../shared/query-params.js';

/** How a raw snapshot is asked for, by the API and by the web pages' links alike. */
export class SnapshotContentParams {
  @ApiPropertyOptional({ description: 'true: as an attachment, whatever the content' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'download must be true or false (or 1 or 0)' })
  download?: boolean;
}
