import { BadRequestException } from '@nestjs/common';

/** A 400 that names the field at fault and why: `{ statusCode, error, field, message }`. */
export class FieldError extends BadRequestException {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super({ statusCode: 400, error: 'Bad Request', field, message: `${field}: ${reason}` });
  }
}
