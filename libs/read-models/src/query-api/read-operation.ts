import { applyDecorators, type Type } from '@nestjs/common';
import { ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import { ApiProblem, Operation, type OperationDoc } from '@chip-ledger/http';

/**
 * One query operation of the read models: its name and summary, its 200 body, the optional read-your-writes
 * header (the same as `?after=`), and the errors every read may give (`notFound` for reads of one thing).
 */
export const ReadOperation = (doc: OperationDoc & { readonly type: Type<unknown>; readonly notFound?: string }): MethodDecorator =>
  applyDecorators(
    Operation(doc),
    ApiOkResponse({ type: doc.type }),
    ApiHeader({
      // The name as Express gives it to @Headers: the same parameter, now documented as optional.
      name: 'x-ledger-position',
      required: false,
      description: 'X-Ledger-Position: wait until the read models include this position (the `position` a write answered); `?after=` wins when both are sent.',
      schema: { type: 'string', maxLength: 4000, example: 'chip-stock-dc-gansu-qingyang-1.nvidia-h20@3~q2nJ9dZ0o4kU8bYv1xT3Lw' },
    }),
    ApiProblem(400, 'An invalid query parameter, cursor or position (REQUEST.INVALID naming it)'),
    ...(doc.notFound ? [ApiProblem(404, doc.notFound)] : []),
    ApiProblem(503, 'The read models did not reach the requested position in time (READ_MODEL.NOT_CAUGHT_UP): retry shortly'),
  );
