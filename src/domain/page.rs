/// A page of a listing, as the first version shaped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub const MAX_PER_PAGE: i64 = 100;

    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// Number of pages for `total` rows (zero when there are none, as Flask-SQLAlchemy counts).
    pub fn pages(self, total: i64) -> i64 {
        (total + self.per_page - 1) / self.per_page
    }
}
