import type { UserEntity } from '../users/users.mappers.js';

export interface AuthPayloadEntity {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: UserEntity;
}
