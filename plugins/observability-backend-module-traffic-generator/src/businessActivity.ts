import { Counter, Histogram, Meter } from '@opentelemetry/api';
import { RequestPlan } from './planRequest';

/**
 * The business metrics TMS services export, as the observability engine
 * reads them (its README names each one): what the generator's services
 * report when they serve a request.
 */
export const BUSINESS_METRIC_NAMES = {
  activeUsers: 'tms.business.active_users',
  quizzesStarted: 'tms.business.quiz.started',
  quizzesCompleted: 'tms.business.quiz.completed',
  safetyChecks: 'tms.business.safety_checks',
  invoicesGenerated: 'tms.business.invoices.generated',
  invoicesProcessed: 'tms.business.invoices.processed',
  customerSatisfaction: 'tms.business.customer_satisfaction',
} as const;

/** A user counts as active this long after signing in. */
export const ACTIVE_USER_MS = 15 * 60 * 1000;

/** The services that report business metrics, and the route that does. */
export const BUSINESS_ROUTES: Record<string, string> = {
  'auth-service': 'POST /login',
  'quiz-service': 'POST /quizzes/:id/completions',
  'safety-check-service': 'POST /safety-checks',
  'invoice-service': 'GET /invoices',
  'feedback-service': 'POST /feedback',
};

/** Share of quizzes started that the user leaves without completing. */
const ABANDONED_QUIZ_SHARE = 0.2;

/** Share of safety checks that find the site compliant. */
const COMPLIANT_SHARE = 0.92;

/** Share of generated invoices that are processed straight away. */
const PROCESSED_SHARE = 0.9;

/** How often users give each rating from 1 to 5. */
const RATING_WEIGHTS = [0.04, 0.06, 0.15, 0.4, 0.35];

/** The instruments of one service in one region. */
export class BusinessInstruments {
  private readonly quizzesStarted: Counter;
  private readonly quizzesCompleted: Counter;
  private readonly safetyChecks: Counter;
  private readonly invoicesGenerated: Counter;
  private readonly invoicesProcessed: Counter;
  private readonly satisfaction: Histogram;

  /**
   * @param activeUsers - counts the users signed in now, for the service
   *   that signs them in; observed at each export of its meter provider.
   */
  constructor(meter: Meter, activeUsers?: () => number) {
    const counter = (name: string, unit: string, description: string) =>
      meter.createCounter(name, { unit, description });

    if (activeUsers) {
      meter
        .createObservableGauge(BUSINESS_METRIC_NAMES.activeUsers, {
          unit: '{user}',
          description: 'Users signed in during the last 15 minutes',
        })
        .addCallback(result => result.observe(activeUsers()));
    }
    this.quizzesStarted = counter(
      BUSINESS_METRIC_NAMES.quizzesStarted,
      '{quiz}',
      'Quizzes users started',
    );
    this.quizzesCompleted = counter(
      BUSINESS_METRIC_NAMES.quizzesCompleted,
      '{quiz}',
      'Quizzes users completed',
    );
    this.safetyChecks = counter(
      BUSINESS_METRIC_NAMES.safetyChecks,
      '{check}',
      'Safety checks recorded, by whether the site was compliant',
    );
    this.invoicesGenerated = counter(
      BUSINESS_METRIC_NAMES.invoicesGenerated,
      '{invoice}',
      'Invoices generated',
    );
    this.invoicesProcessed = counter(
      BUSINESS_METRIC_NAMES.invoicesProcessed,
      '{invoice}',
      'Invoices processed',
    );
    this.satisfaction = meter.createHistogram(
      BUSINESS_METRIC_NAMES.customerSatisfaction,
      {
        unit: '{rating}',
        description: 'Customer satisfaction ratings from 1 to 5',
        advice: { explicitBucketBoundaries: [1, 2, 3, 4] },
      },
    );
  }

  /** Records what one served request meant for the business. */
  record(plan: RequestPlan, failed: boolean, random: () => number) {
    switch (plan.service) {
      case 'quiz-service':
        // A failed completion was still a quiz started.
        this.quizzesStarted.add(random() < ABANDONED_QUIZ_SHARE ? 2 : 1);
        if (!failed) {
          this.quizzesCompleted.add(1);
        }
        return;
      case 'safety-check-service':
        if (!failed) {
          this.safetyChecks.add(1, { compliant: random() < COMPLIANT_SHARE });
        }
        return;
      case 'invoice-service':
        if (!failed) {
          this.invoicesGenerated.add(1);
          if (random() < PROCESSED_SHARE) {
            this.invoicesProcessed.add(1);
          }
        }
        return;
      case 'feedback-service':
        if (!failed) {
          this.satisfaction.record(weightedRating(random));
        }
        return;
      default:
    }
  }
}

function weightedRating(random: () => number) {
  let point = random();
  for (let i = 0; i < RATING_WEIGHTS.length; i++) {
    point -= RATING_WEIGHTS[i];
    if (point < 0) {
      return i + 1;
    }
  }
  return RATING_WEIGHTS.length;
}
