import { Injectable, type PipeTransform } from '@nestjs/common';
import { parseNctId } from '@app/domain';

/** Canonicalises an NCT ID path parameter (`nct04811651` -> `NCT04811651`); a malformed one is a 400. */
@Injectable()
export class NctIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return parseNctId(value);
  }
}
