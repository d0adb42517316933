import type { components } from './schema'

type Schemas = components['schemas']

/** A convention (管理规约, 业主大会议事规则, 居民公约) with its text, its consultation and what the caller may do. */
export type ConventionView = Schemas['ConventionView']
export type ConventionSummary = Schemas['ConventionSummary']
export type ConventionKind = Schemas['ConventionKind']
export type ConventionPhase = Schemas['ConventionPhase']
export type ConventionTemplate = Schemas['ConventionTemplate']
export type ConventionChapter = Schemas['ChapterView']
export type ConventionArticle = Schemas['ArticleView']
export type ConventionVersionSummary = Schemas['ConventionVersionSummary']
export type ConventionVersion = Schemas['ConventionVersionView']
export type ConventionComparison = Schemas['ConventionComparison']
/** One article (or the preamble, or a chapter's title) from one version to another. */
export type ConventionEntry = ConventionComparison['entries'][number]
export type ConventionComment = Schemas['ConventionCommentView']
export type CommentKind = ConventionComment['kind']
export type CommentStatus = ConventionComment['status']
export type AnswerOutcome = Schemas['AnswerOutcome']
export type ConsultationReport = Schemas['ConsultationReport']
export type ReportArticle = ConsultationReport['articles'][number]
/** A .docx read into a draft, with what the reading noticed line by line. */
export type ParsedConvention = Schemas['Parsed']
/** A text as the drafters send it: the ids of what was saved before, none on what is new. */
export type ConventionDraftBody = Schemas['EditConvention']['body']
/** An adoption or repeal put, newest first on the convention, and what became of it. */
export type ConventionAdoption = Schemas['AdoptionView']
export type AdoptionRoute = Schemas['AdoptionRoute']
export type AdoptionAction = Schemas['AdoptionAction']
export type AdoptionStatus = Schemas['AdoptionStatus']
export type InForce = Schemas['InForceView']
/** What the put form sends: the action, the route and the fields of that route. */
export type PutConventionBody = Schemas['PutConvention']
/** 知晓承诺: the caller's households, and the coverage for the parties. */
export type Acknowledgements = Schemas['AcknowledgementsView']
export type HouseholdAck = Schemas['HouseholdAck']
export type AckCoverage = Schemas['Coverage']
