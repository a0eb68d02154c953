import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiBodyProblems, ApiProblem, APP_CONFIG, EnumField, IdField, mintAccessToken, Operation, problem, ProblemException, Public, type AppConfig } from '@chip-ledger/http';
import { RegisteredOrganisationsQuery } from '../chip-mix/chip-mix.handlers';

/** Read-only roles: a development sign-in never hands out a token that can write. */
export const DEVELOPMENT_SIGN_IN_ROLES = ['viewer', 'auditor'] as const;
type SignInRole = (typeof DEVELOPMENT_SIGN_IN_ROLES)[number];
const TOKEN_TTL_SECONDS = 12 * 3600;

export class DevelopmentSignInRequest {
  @EnumField(DEVELOPMENT_SIGN_IN_ROLES, 'viewer (sees its organisation) or auditor (sees everything)') role!: SignInRole;
  @IdField('Organisation the token acts for; a viewer needs a registered one', { example: 'gansu-cloud' }) organisationId!: string;
}

export class DevelopmentSignInOrganisation {
  @ApiProperty({ example: 'gansu-cloud' }) readonly organisationId!: string;
  @ApiProperty({ example: 'Gansu Cloud Computing Co., Ltd.' }) readonly name!: string;
}

export class DevelopmentSignInOptions {
  @ApiProperty({ enum: DEVELOPMENT_SIGN_IN_ROLES, isArray: true, example: ['viewer', 'auditor'] }) readonly roles!: readonly SignInRole[];
  @ApiProperty({ type: [DevelopmentSignInOrganisation] }) readonly organisations!: readonly DevelopmentSignInOrganisation[];
}

export class DevelopmentSignInResponse {
  @ApiProperty({ description: 'A bearer token (JWT) for the dashboard', example: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2aWV3ZXIifQ.c2lnbmF0dXJl' }) readonly token!: string;
  @ApiProperty({ enum: DEVELOPMENT_SIGN_IN_ROLES, example: 'auditor' }) readonly role!: SignInRole;
  @ApiProperty({ example: 'gansu-cloud' }) readonly organisationId!: string;
  @ApiProperty({ example: '2026-12-05T23:00:00.000Z' }) readonly expiresAt!: string;
}

/**
 * The dashboard's development sign-in (embedded form only, registered only while the public development JWT secret
 * signs tokens): it mints viewer and auditor tokens anyone could mint with that secret, so it exposes nothing new,
 * and saves a first-time user a trip to the CLI. Every answer is 404 once a real secret is configured.
 */
@ApiTags('development')
@Controller('dev/sign-in')
@Public()
export class DevelopmentSignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  /** What the sign-in form offers: the roles, and the registered organisations to act for. */
  @Get()
  @Operation({ id: 'getDevelopmentSignIn', summary: 'What the development sign-in offers', description: 'Public, and only with the development JWT secret (404 otherwise).' })
  @ApiOkResponse({ type: DevelopmentSignInOptions })
  @ApiProblem(404, 'A real JWT secret is configured (NOT_FOUND)')
  async options(): Promise<DevelopmentSignInOptions> {
    this.assertDevelopment();
    return { roles: DEVELOPMENT_SIGN_IN_ROLES, organisations: await this.organisations() };
  }

  @Post()
  @HttpCode(200)
  @Operation({
    id: 'developmentSignIn',
    summary: 'Mint a viewer or auditor token signed with the development secret',
    description: 'Public, and only with the development JWT secret (404 otherwise): it hands out what anyone can mint with that public secret.',
  })
  @ApiOkResponse({ type: DevelopmentSignInResponse })
  @ApiBodyProblems()
  @ApiProblem(404, 'A real JWT secret is configured (NOT_FOUND)')
  @ApiProblem(422, 'A viewer of an organisation that is not registered (ORGANISATION.NOT_FOUND)')
  async signIn(@Body() body: DevelopmentSignInRequest): Promise<DevelopmentSignInResponse> {
    this.assertDevelopment();
    if (body.role === 'viewer' && !(await this.organisations()).some((o) => o.organisationId === body.organisationId)) {
      throw new ProblemException(
        problem(422, 'ORGANISATION.NOT_FOUND', 'Unknown organisation', `Organisation ${body.organisationId} is not registered: a viewer of it would see nothing.`, {
          field: 'organisationId',
        }),
      );
    }
    const token = mintAccessToken({ sub: `${body.role}@${body.organisationId} (development sign-in)`, org: body.organisationId, role: body.role }, this.config.jwtSecret, TOKEN_TTL_SECONDS);
    return { token, role: body.role, organisationId: body.organisationId, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000).toISOString() };
  }

  private assertDevelopment(): void {
    if (!this.config.jwtSecretIsDevelopmentDefault || this.config.production) {
      throw new ProblemException(problem(404, 'NOT_FOUND', 'Not found', 'The development sign-in exists only with the development JWT secret.'));
    }
  }

  private organisations(): Promise<{ organisationId: string; name: string }[]> {
    return this.queries.execute(new RegisteredOrganisationsQuery());
  }
}
