"""Contains all the data models used in inputs/outputs"""

from .abstain_reason import AbstainReason
from .actor_view import ActorView
from .applied_macro import AppliedMacro
from .audit_page import AuditPage
from .breakdown import Breakdown
from .breakdown_row import BreakdownRow
from .bucket import Bucket
from .canned_reply_patch import CannedReplyPatch
from .canned_reply_view import CannedReplyView
from .change_password import ChangePassword
from .chat_outcomes import ChatOutcomes
from .chat_reply import ChatReply
from .chat_session import ChatSession
from .chat_turn import ChatTurn
from .comment_body import CommentBody
from .component_status import ComponentStatus
from .counts import Counts
from .create_tenant_body import CreateTenantBody
from .create_ticket_body import CreateTicketBody
from .created_tenant import CreatedTenant
from .csat_patch import CsatPatch
from .day import Day
from .doc_view import DocView
from .document_list import DocumentList
from .embeddings_answer import EmbeddingsAnswer
from .embeddings_body import EmbeddingsBody
from .erasure import Erasure
from .erasure_chat import ErasureChat
from .erasure_tickets import ErasureTickets
from .error_code import ErrorCode
from .field_error import FieldError
from .gap_group import GapGroup
from .gap_list import GapList
from .generate_answer import GenerateAnswer
from .generate_body import GenerateBody
from .generate_event import GenerateEvent
from .generate_event_name import GenerateEventName
from .get_breakdown_by import GetBreakdownBy
from .get_jwks_response_200 import GetJwksResponse200
from .get_openapi_response_200 import GetOpenapiResponse200
from .get_openid_configuration_response_200 import GetOpenidConfigurationResponse200
from .grouping import Grouping
from .knowledge_ready import KnowledgeReady
from .link_body import LinkBody
from .list_audit_action import ListAuditAction
from .liveness import Liveness
from .llm_status import LlmStatus
from .loaded import Loaded
from .macro_reply import MacroReply
from .macro_view import MacroView
from .mention_view import MentionView
from .message_view import MessageView
from .model_names import ModelNames
from .new_canned_reply import NewCannedReply
from .new_macro import NewMacro
from .new_tenant import NewTenant
from .new_user import NewUser
from .page_hit import PageHit
from .password_reset import PasswordReset
from .patch_ticket_body import PatchTicketBody
from .patch_user_body import PatchUserBody
from .person_export import PersonExport
from .person_export_chat_sessions_item import PersonExportChatSessionsItem
from .person_export_comments_on_other_tickets_item import PersonExportCommentsOnOtherTicketsItem
from .person_export_knowledge_gaps_item import PersonExportKnowledgeGapsItem
from .person_export_ratings_item import PersonExportRatingsItem
from .person_export_tickets_item import PersonExportTicketsItem
from .plan import Plan
from .platform_usage import PlatformUsage
from .priced import Priced
from .prices import Prices
from .priority import Priority
from .privacy_patch import PrivacyPatch
from .problem import Problem
from .rating_body import RatingBody
from .rating_link import RatingLink
from .rating_target import RatingTarget
from .rating_view import RatingView
from .readiness import Readiness
from .readiness_components import ReadinessComponents
from .record_view import RecordView
from .redeem_reset import RedeemReset
from .refresh_request import RefreshRequest
from .report_summary import ReportSummary
from .role import Role
from .score import Score
from .search_knowledge_mode import SearchKnowledgeMode
from .search_results import SearchResults
from .server_frame_type_0 import ServerFrameType0
from .server_frame_type_0_type import ServerFrameType0Type
from .server_frame_type_1 import ServerFrameType1
from .server_frame_type_1_type import ServerFrameType1Type
from .server_frame_type_2 import ServerFrameType2
from .server_frame_type_2_type import ServerFrameType2Type
from .server_frame_type_3 import ServerFrameType3
from .server_frame_type_3_type import ServerFrameType3Type
from .server_frame_type_4 import ServerFrameType4
from .server_frame_type_4_type import ServerFrameType4Type
from .server_frame_type_5 import ServerFrameType5
from .server_frame_type_5_type import ServerFrameType5Type
from .server_frame_type_6 import ServerFrameType6
from .server_frame_type_6_type import ServerFrameType6Type
from .server_frame_type_7 import ServerFrameType7
from .server_frame_type_7_type import ServerFrameType7Type
from .server_frame_type_8 import ServerFrameType8
from .server_frame_type_8_type import ServerFrameType8Type
from .session_status import SessionStatus
from .session_view import SessionView
from .settings_patch import SettingsPatch
from .settings_patch_business_hours_type_0 import SettingsPatchBusinessHoursType0
from .settings_patch_sla_minutes_type_0 import SettingsPatchSlaMinutesType0
from .setup_admin import SetupAdmin
from .setup_body import SetupBody
from .setup_done import SetupDone
from .setup_state import SetupState
from .signals import Signals
from .sla_targets import SlaTargets
from .source import Source
from .source_view import SourceView
from .speaker import Speaker
from .status import Status
from .storage import Storage
from .suggested_reply import SuggestedReply
from .summary import Summary
from .target_view import TargetView
from .tenant_usage import TenantUsage
from .tenant_view import TenantView
from .theme import Theme
from .theme_patch import ThemePatch
from .thumb_body import ThumbBody
from .ticket_event_view import TicketEventView
from .ticket_page import TicketPage
from .ticket_rating_body import TicketRatingBody
from .ticket_ref import TicketRef
from .ticket_view import TicketView
from .timeseries import Timeseries
from .token_pair import TokenPair
from .token_request import TokenRequest
from .token_usage import TokenUsage
from .upload_event import UploadEvent
from .upload_event_name import UploadEventName
from .upload_form import UploadForm
from .uploaded import Uploaded
from .uploaded_file import UploadedFile
from .usage import Usage
from .user_view import UserView
from .visibility import Visibility
from .visitor_token import VisitorToken
from .webhook_patch import WebhookPatch

__all__ = (
    "AbstainReason",
    "ActorView",
    "AppliedMacro",
    "AuditPage",
    "Breakdown",
    "BreakdownRow",
    "Bucket",
    "CannedReplyPatch",
    "CannedReplyView",
    "ChangePassword",
    "ChatOutcomes",
    "ChatReply",
    "ChatSession",
    "ChatTurn",
    "CommentBody",
    "ComponentStatus",
    "Counts",
    "CreatedTenant",
    "CreateTenantBody",
    "CreateTicketBody",
    "CsatPatch",
    "Day",
    "DocumentList",
    "DocView",
    "EmbeddingsAnswer",
    "EmbeddingsBody",
    "Erasure",
    "ErasureChat",
    "ErasureTickets",
    "ErrorCode",
    "FieldError",
    "GapGroup",
    "GapList",
    "GenerateAnswer",
    "GenerateBody",
    "GenerateEvent",
    "GenerateEventName",
    "GetBreakdownBy",
    "GetJwksResponse200",
    "GetOpenapiResponse200",
    "GetOpenidConfigurationResponse200",
    "Grouping",
    "KnowledgeReady",
    "LinkBody",
    "ListAuditAction",
    "Liveness",
    "LlmStatus",
    "Loaded",
    "MacroReply",
    "MacroView",
    "MentionView",
    "MessageView",
    "ModelNames",
    "NewCannedReply",
    "NewMacro",
    "NewTenant",
    "NewUser",
    "PageHit",
    "PasswordReset",
    "PatchTicketBody",
    "PatchUserBody",
    "PersonExport",
    "PersonExportChatSessionsItem",
    "PersonExportCommentsOnOtherTicketsItem",
    "PersonExportKnowledgeGapsItem",
    "PersonExportRatingsItem",
    "PersonExportTicketsItem",
    "Plan",
    "PlatformUsage",
    "Priced",
    "Prices",
    "Priority",
    "PrivacyPatch",
    "Problem",
    "RatingBody",
    "RatingLink",
    "RatingTarget",
    "RatingView",
    "Readiness",
    "ReadinessComponents",
    "RecordView",
    "RedeemReset",
    "RefreshRequest",
    "ReportSummary",
    "Role",
    "Score",
    "SearchKnowledgeMode",
    "SearchResults",
    "ServerFrameType0",
    "ServerFrameType0Type",
    "ServerFrameType1",
    "ServerFrameType1Type",
    "ServerFrameType2",
    "ServerFrameType2Type",
    "ServerFrameType3",
    "ServerFrameType3Type",
    "ServerFrameType4",
    "ServerFrameType4Type",
    "ServerFrameType5",
    "ServerFrameType5Type",
    "ServerFrameType6",
    "ServerFrameType6Type",
    "ServerFrameType7",
    "ServerFrameType7Type",
    "ServerFrameType8",
    "ServerFrameType8Type",
    "SessionStatus",
    "SessionView",
    "SettingsPatch",
    "SettingsPatchBusinessHoursType0",
    "SettingsPatchSlaMinutesType0",
    "SetupAdmin",
    "SetupBody",
    "SetupDone",
    "SetupState",
    "Signals",
    "SlaTargets",
    "Source",
    "SourceView",
    "Speaker",
    "Status",
    "Storage",
    "SuggestedReply",
    "Summary",
    "TargetView",
    "TenantUsage",
    "TenantView",
    "Theme",
    "ThemePatch",
    "ThumbBody",
    "TicketEventView",
    "TicketPage",
    "TicketRatingBody",
    "TicketRef",
    "TicketView",
    "Timeseries",
    "TokenPair",
    "TokenRequest",
    "TokenUsage",
    "Uploaded",
    "UploadedFile",
    "UploadEvent",
    "UploadEventName",
    "UploadForm",
    "Usage",
    "UserView",
    "Visibility",
    "VisitorToken",
    "WebhookPatch",
)
