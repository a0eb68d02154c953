import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ReadModelReader, type ReadContext } from '../query-api/read-model-reader.service';
import { FINDINGS } from './findings.projection';
import { findingById, listFindings, type FindingFilter, type FindingView } from './findings.queries';

/** Finding intervals the caller may see, newest first, after `filter.after`, at most `filter.limit`. */
export class ListFindingsQuery extends Query<FindingView[]> {
  constructor(
    readonly context: ReadContext,
    readonly filter: Omit<FindingFilter, 'visibleToOrganisation'>,
  ) {
    super();
  }
}

/** One finding interval (404 when unknown or about another organisation's data center). */
export class FindingQuery extends Query<FindingView> {
  constructor(
    readonly context: ReadContext,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(ListFindingsQuery)
export class ListFindingsHandler implements IQueryHandler<ListFindingsQuery, FindingView[]> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  execute({ context, filter }: ListFindingsQuery): Promise<FindingView[]> {
    return this.reader.read(FINDINGS, context, (db) => listFindings(db, { ...filter, visibleToOrganisation: this.reader.scopeOf(context.actor) }));
  }
}

@QueryHandler(FindingQuery)
export class FindingHandler implements IQueryHandler<FindingQuery, FindingView> {
  constructor(@Inject(ReadModelReader) private readonly reader: ReadModelReader) {}

  async execute({ context, id }: FindingQuery): Promise<FindingView> {
    const finding = await this.reader.read(FINDINGS, context, (db) => findingById(db, id));
    this.reader.assertVisible(context.actor, finding?.ownerOrganisationId ?? null, 'FINDING', id);
    if (finding === null) throw this.reader.notFound('FINDING', id); // refused above; this tells the compiler
    return finding;
  }
}

export const FINDINGS_QUERY_HANDLERS = [ListFindingsHandler, FindingHandler];
