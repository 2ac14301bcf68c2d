import { Query } from '@nestjs/cqrs';
import type { Watchlist } from '../watchlist.js';

export class ListWatchlistsQuery extends Query<Watchlist[]> {}
