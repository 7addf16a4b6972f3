import { ApiProperty } from '@nestjs/swagger';

/** The JSON body of every error (HttpErrorFilter): what the document names for each 4xx and 5xx. */
export class Problem {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode!: number;

  @ApiProperty({ type: 'string', example: 'Bad Request' })
  error!: string;

  @ApiProperty({ type: 'string', example: 'limit: must be an integer from 1 to 1000' })
  message!: string;

  @ApiProperty({
    type: 'string',
    required: false,
    description: 'The parameter or body field at fault (400 only).',
    example: 'limit',
  })
  field?: string;
}
