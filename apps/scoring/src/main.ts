import './tracing';
import { runService } from '@oversight/service-config';
import { AppModule } from './app.module';
import { ScoringEnvironment } from './config/scoring-environment';

runService('scoring', AppModule, ScoringEnvironment);
