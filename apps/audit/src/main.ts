import './tracing';
import { runService } from '@oversight/service-config';
import { AppModule } from './app.module';
import { AuditEnvironment } from './config/audit-environment';

runService('audit', AppModule, AuditEnvironment);
