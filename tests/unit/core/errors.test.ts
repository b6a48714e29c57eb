import { AppError, E, errorBody, internalError } from '../../../core/errors';

describe('error family', () => {
  it('carries a stable code and status, and shows 4xx messages', () => {
    const err = new AppError(E.MALFORMED_JSON, 'The body is not valid JSON');
    expect(err).toBeInstanceOf(AppError);
    expect(errorBody(err)).toEqual({
      error: { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' },
    });
    expect(err.status).toBe(400);
  });

  it('hides the message of internal errors', () => {
    const err = new AppError(E.BLOB_DELETE_FAILED, 'connection to 10.0.0.5 refused');
    expect(errorBody(err).error.message).toBe('Internal error');
    expect(errorBody(internalError())).toEqual({
      error: { code: 'INTERNAL', message: 'Internal error' },
    });
  });

  it('lets a 503 say what is unavailable', () => {
    expect(errorBody(new AppError(E.SERVICE_UNAVAILABLE, 'Not ready')).error.message).toBe(
      'Not ready',
    );
  });
});
