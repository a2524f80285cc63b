"""social_security subgraph: the Human Resources and Social Security Bureau, read-only.

It serves the legacy core system's nightly CSV exports.

The export folder (``GOVGRAPH_SOCIAL_SECURITY_DIR``, default ``<data>/social_security``)
holds four UTF-8 CSV files with a header line, in the legacy system's own column names
(pinyin initials); dates are ``YYYYMMDD`` and periods ``YYYYMM``:

=========  ==========================================================================
file       columns
=========  ==========================================================================
cbry.csv   参保人员 insured persons: SFZHM identity number, CBDQ insurance registration
           division code, CBRQ insured since, CBZT status (1 ACTIVE 正常参保,
           2 SUSPENDED 暂停缴费, 3 RETIRED 离退休)
jfmx.csv   缴费明细 contributions: SFZHM, JFNY period, XZLX insurance type (110 PENSION,
           210 UNEMPLOYMENT, 310 MEDICAL, 410 WORK_INJURY, 510 MATERNITY), JFJS base,
           GRJFE personal amount, DWJFE employer amount, DWTYXYDM employer credit code
           (empty for flexible, self-employed contributors)
jyxx.csv   就业信息 employment: SFZHM, DWTYXYDM employer, RZRQ started, LZRQ ended
           (empty while employed), GW position
ylj.csv    养老金 pensions: SFZHM, YFJE monthly amount, QFRQ paid since, FFZT status
           (1 PAYING 正常发放, 2 SUSPENDED 暂停发放)
=========  ==========================================================================

The subgraph indexes them in memory and re-reads them when they change (``store.py``);
the seeder (``seed.py``) writes them atomically.
"""

__all__: list[str] = []
