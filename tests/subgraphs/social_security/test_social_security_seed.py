"""The seeder writes the legacy system's exports: records in, CSV text out.

Template: build a ``Source`` of records, ``write_exports(source, folder)``, state the files.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from social_security_sample import FACTORY, LI, SHOP, SUN, WANG, ZHAO, sample_source

from subgraphs.common.datagen import Dataset
from subgraphs.social_security.exports import FILES
from subgraphs.social_security.index import build_index
from subgraphs.social_security.seed import seed, write_exports


def test_the_sample_becomes_four_csv_files_in_the_legacy_columns(tmp_path: Path) -> None:
    assert write_exports(sample_source(), tmp_path) == 16
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)  # no temporaries left
    assert (tmp_path / "cbry.csv").read_text(encoding="utf-8") == (
        "SFZHM,CBDQ,CBRQ,CBZT\n"
        f"{WANG},211202,20180401,1\n"  # paying in the latest period: ACTIVE, since first job
        f"{LI},211202,20200215,2\n"  # stopped paying: SUSPENDED
        f"{ZHAO},211224,20000201,3\n"  # pension: RETIRED, 15 years before the pension
        f"{SUN},211282,20260901,1\n"  # flexible contributor
    )  # QIAN never paid and is not in the register
    contributions = (tmp_path / "jfmx.csv").read_text(encoding="utf-8").splitlines()
    assert contributions[0] == "SFZHM,JFNY,XZLX,JFJS,GRJFE,DWJFE,DWTYXYDM"
    assert contributions[1] == f"{WANG},202608,110,5000.00,400.00,800.00,{FACTORY}"
    assert contributions[-1] == f"{SUN},202609,110,5000.00,400.00,0.00,"
    assert (tmp_path / "jyxx.csv").read_text(encoding="utf-8") == (
        "SFZHM,DWTYXYDM,RZRQ,LZRQ,GW\n"
        f"{WANG},{FACTORY},20180401,,钳工\n"
        f"{LI},{FACTORY},20200215,20260831,会计\n"
        f"{LI},{SHOP},20261001,,营业员\n"
    )
    assert (tmp_path / "ylj.csv").read_text(encoding="utf-8") == (
        f"SFZHM,YFJE,QFRQ,FFZT\n{ZHAO},3200.00,20150201,1\n"
    )


def test_seeding_again_replaces_the_previous_exports(tmp_path: Path) -> None:
    write_exports(sample_source(), tmp_path)
    source = sample_source()
    source.pension_records.clear()
    write_exports(source, tmp_path)
    assert (tmp_path / "ylj.csv").read_text(encoding="utf-8") == "SFZHM,YFJE,QFRQ,FFZT\n"


def test_the_generated_dataset_seeds_exports_the_index_can_read(
    tmp_path: Path, small_dataset: Dataset
) -> None:
    dataset = small_dataset
    written = asyncio.run(seed(dataset, str(tmp_path)))
    index = build_index(tmp_path)
    assert written == (
        len(index.insured)
        + index.contribution_rows
        + sum(len(v) for v in index.employments_of_person.values())
        + len(index.pensions)
    )
    assert index.insured  # some of 150 persons are insured
    assert set(index.contribution_lines) <= set(index.insured)
