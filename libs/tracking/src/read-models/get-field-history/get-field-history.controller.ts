import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TRACKED_FIELDS } from '@app/domain';
import { NctIdPipe } from '../../shared/nct-id.pipe.js';
import { GetFieldHistoryQuery } from './get-field-history.query.js';

export class FieldHistoryParams {
  @ApiPropertyOptional({
    description:
      "Only this field's changes, its parts' (design: design.masking, ...) and what was learned of it " +
      '(design.masking: also the design as learned; studyFirstSubmitDate is registration.studyFirstSubmitDate)',
    enum: TRACKED_FIELDS,
  })
  @IsOptional()
  @IsIn(TRACKED_FIELDS as unknown as string[], { message: `field must be one of: ${TRACKED_FIELDS.join(', ')}` })
  field?: string;

  @ApiPropertyOptional({ description: 'newest first (default) or oldest first', enum: ['newest', 'oldest'] })
  @IsOptional()
  @IsIn(['newest', 'oldest'], { message: 'order must be newest or oldest' })
  order?: 'newest' | 'oldest';
}

@ApiTags('trials')
@Controller('trials')
export class GetFieldHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':nctId/history')
  @ApiOperation({ summary: 'Field changes (field, from, to, occurredAt, recordedAt), newest first by default' })
  @ApiParam({ name: 'nctId', example: 'NCT00513591' })
  get(@Param('nctId', NctIdPipe) nctId: string, @QueryParam() params: FieldHistoryParams) {
    return this.queryBus.execute(new GetFieldHistoryQuery(nctId, params.field ?? null, params.order ?? 'newest'));
  }
}
