import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { START } from '@app/infrastructure';
import { encodeCursor } from '../../shared/cursor.js';
import { ChangeFeedRepository } from '../repositories/change-feed.repository.js';
import { GetChangeFeedEndQuery } from './get-change-feed-end.query.js';

@QueryHandler(GetChangeFeedEndQuery)
export class GetChangeFeedEndHandler implements IQueryHandler<GetChangeFeedEndQuery> {
  constructor(private readonly feed: ChangeFeedRepository) {}

  async execute(): Promise<string> {
    return encodeCursor((await this.feed.end()) ?? START);
  }
}
