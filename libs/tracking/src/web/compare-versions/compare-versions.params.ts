import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

const VERSION_MESSAGE = 'must be a version number of the trial, as the trial page links it (e.g. from=1&to=6)';

/** Which two records of a trial to compare: stream versions, as the trial page's links give them. */
export class CompareVersionsParams {
  @Type(() => Number)
  @IsInt({ message: `from ${VERSION_MESSAGE}` })
  @Min(1, { message: `from ${VERSION_MESSAGE}` })
  @Max(2_147_483_647, { message: `from ${VERSION_MESSAGE}` })
  from!: number;

  @Type(() => Number)
  @IsInt({ message: `to ${VERSION_MESSAGE}` })
  @Min(1, { message: `to ${VERSION_MESSAGE}` })
  @Max(2_147_483_647, { message: `to ${VERSION_MESSAGE}` })
  to!: number;
}
