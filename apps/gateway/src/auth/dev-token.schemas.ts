import { ApiProperty } from '@nestjs/swagger';

export class DevSignInStatus {
  @ApiProperty({ type: 'boolean', enum: [true], example: true })
  enabled!: true;
}

export class DevTokenRequest {
  @ApiProperty({ type: 'string', minLength: 1, maxLength: 128, pattern: '^\\S+$', example: 'u_123' })
  userId!: string;

  @ApiProperty({ type: 'boolean', required: false, default: false, example: false })
  admin?: boolean;
}

export class DevToken {
  @ApiProperty({
    type: 'string',
    description: 'A bearer JWT valid for an hour.',
    example: 'eyJhbGciOiJIUzI1NiJ9.…',
  })
  token!: string;
}
