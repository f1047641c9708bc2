import type { LoggerService } from '@nestjs/common';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured JSON logs, one line each. Patient data never goes in: callers pass ids
 * (patientId, deviceId, topic, partition, offset), never readings or names.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minLevel: Level = 'info',
  ) {}

  private write(level: Level, message: unknown, context?: unknown): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    const line: Record<string, unknown> = { ts: new Date().toISOString(), level, service: this.service };
    if (message instanceof Error) {
      line['msg'] = message.message;
      line['stack'] = message.stack;
    } else {
      line['msg'] = typeof message === 'string' ? message : String(message);
    }
    if (typeof context === 'string') line['context'] = context;
    else if (context && typeof context === 'object') Object.assign(line, context);
    const out = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
    out.write(JSON.stringify(line) + '\n');
  }

  log(message: unknown, context?: unknown): void {
    this.write('info', message, context);
  }
  info(message: string, context?: Record<string, unknown>): void {
    this.write('info', message, context);
  }
  error(message: unknown, context?: unknown): void {
    this.write('error', message, typeof context === 'string' && context.includes('\n') ? { stack: context } : context);
  }
  warn(message: unknown, context?: unknown): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: unknown): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: unknown): void {
    this.write('debug', message, context);
  }
}
