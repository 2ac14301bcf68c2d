import { BadRequestException } from '@nestjs/common';
import { UuidPipe } from './uuid.pipe.js';

describe('UUID path parameters', () => {
  const pipe = new UuidPipe();

  it('takes a UUID in either letter case as it is', () => {
    for (const id of ['0b7c1e1e-4a3e-4c3e-9c3e-1e1e1e1e1e1e', '0B7C1E1E-4A3E-4C3E-9C3E-1E1E1E1E1E1E']) {
      expect(pipe.transform(id, { type: 'param', data: 'id' })).toBe(id);
    }
  });

  it('refuses anything else with a 400 naming the parameter, so a route with two ids says which one', () => {
    const refused = () => pipe.transform('not-a-uuid', { type: 'param', data: 'eventId' });
    expect(refused).toThrow(BadRequestException);
    expect(refused).toThrow('eventId must be a UUID, not "not-a-uuid"');
  });
});
