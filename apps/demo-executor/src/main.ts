import './tracing';
import { runService } from '@oversight/service-config';
import { AppModule } from './app.module';
import { DemoExecutorEnvironment } from './config/demo-executor-environment';

runService('demo-executor', AppModule, DemoExecutorEnvironment);
