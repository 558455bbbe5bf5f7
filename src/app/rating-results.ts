import { results, type RatingResults } from '../domain/rating';
import type { RatingRepo } from '../store/rating-repo';

/** The 述职评议 results of many duties at once, as RatingService.results gives them one by one (the 通报's rows). */
export interface RatingResultsMany {
  resultsMany(dutyIds: readonly string[], now: number): Promise<Map<string, RatingResults>>;
}

/** Reads the ratings in two commands however many duties (RatingRepo.getMany), not three per duty. */
export class RatingResultsReader implements RatingResultsMany {
  constructor(private readonly ratings: Pick<RatingRepo, 'getMany'>) {}

  async resultsMany(dutyIds: readonly string[], now: number): Promise<Map<string, RatingResults>> {
    const found = await this.ratings.getMany(dutyIds);
    return new Map([...found].map(([id, r]) => [id, results(r.rating, r.counts, r.rated, now)]));
  }
}
