import { Controller, Get } from '@nestjs/common';

@Controller('health')
export class HealthController {
  private readonly startedAt = new Date();

  @Get()
  health(): { status: 'ok'; service: string; startedAt: string; uptimeSeconds: number } {
    return {
      status: 'ok',
      service: 'standalone',
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
    };
  }
}
