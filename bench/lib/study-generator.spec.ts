import { Random } from './random.js';
import { changeStudy, editOutcomes, generateStudy } from './study-generator.js';

describe('study generator', () => {
  it('makes each next version without changing the one before, whose JSON a replay has yet to send', () => {
    const random = new Random(7);
    const versions = [generateStudy(3)];
    for (let day = 30; versions.length < 40; day += 30) {
      const previous = versions.at(-1)!;
      versions.push(changeStudy(day % 150 === 0 ? editOutcomes(previous, random) : previous, random, day));
    }
    const sentAtTheEnd = versions.map((version) => JSON.stringify(version));
    const regenerated = new Random(7);
    let study = generateStudy(3);
    const sentAsMade = [JSON.stringify(study)];
    for (let day = 30; sentAsMade.length < 40; day += 30) {
      study = changeStudy(day % 150 === 0 ? editOutcomes(study, regenerated) : study, regenerated, day);
      sentAsMade.push(JSON.stringify(study));
    }
    expect(sentAsMade).toEqual(sentAtTheEnd);
    expect(new Set(sentAtTheEnd).size).toBe(40);
  });
});
