import { BadRequestException, HttpException } from '@nestjs/common';
import { FieldError } from './field-error';

describe('FieldError', () => {
  it('is a 400 whose body names the field and why', () => {
    const error = new FieldError('limit', 'must be an integer from 1 to 500');
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toBeInstanceOf(HttpException);
    expect(error.getStatus()).toBe(400);
    expect(error.field).toBe('limit');
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      field: 'limit',
      message: 'limit: must be an integer from 1 to 500',
    });
    expect(error.message).toBe('limit: must be an integer from 1 to 500');
  });
});
