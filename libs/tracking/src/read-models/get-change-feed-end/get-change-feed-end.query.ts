import { Query } from '@nestjs/cqrs';

/** The cursor of the newest change-feed entry (the very start when the feed is empty): where a live stream begins. */
export class GetChangeFeedEndQuery extends Query<string> {}
