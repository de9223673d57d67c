import { Type } from 'typebox';

export const MetricsQuery = Type.Object({
  since: Type.Optional(Type.String({ description: 'ISO 8601 start of the timeline (default: 24 hours ago)' })),
  bucket: Type.Optional(Type.Union([Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day')])),
});

const Count = Type.Integer({ minimum: 0 });

export const MetricsResponse = Type.Object({
  uploads: Type.Object({
    requests: Count,
    operations: Count,
    replayed: Count,
    failed_requests: Count,
  }),
  outcomes: Type.Array(
    Type.Object({
      table: Type.String(),
      status: Type.String(),
      code: Type.Union([Type.String(), Type.Null()]),
      count: Count,
    }),
  ),
  timeline: Type.Array(
    Type.Object({
      bucket: Type.String(),
      table: Type.String(),
      status: Type.String(),
      code: Type.Union([Type.String(), Type.Null()]),
      count: Count,
    }),
  ),
  field_changes: Type.Array(
    Type.Object({ status: Type.String(), code: Type.Union([Type.String(), Type.Null()]), count: Count }),
  ),
  open_conflicts: Count,
  worker: Type.Object({
    running: Type.Boolean(),
    last_run_at: Type.Union([Type.String(), Type.Null()]),
    applied: Count,
    failed: Count,
    last_error: Type.Union([Type.String(), Type.Null()]),
  }),
});
