import './tracing';
import { runService } from '@oversight/service-config';
import { AppModule } from './app.module';
import { RoutingEnvironment } from './config/routing-environment';

runService('routing', AppModule, RoutingEnvironment);
