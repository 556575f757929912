//! Satisfaction ratings: a requester's good or bad, with an optional comment, on a chat, a
//! solved ticket or one bot answer. Each is recorded once; the reports read them.

mod service;

pub use service::{
    COMMENT_RULE, RatingRecord, RatingView, Score, Subject, erase_comments, exists, of_subjects,
    parse_comment, parse_rating, record,
};
