from pathlib import Path

from hub.settings import Settings


def test_default_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    s = Settings.from_env({"HUB_INSTANCE_PATH": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path}/hub.sqlite3"
    assert s.is_sqlite


def test_environment_overrides() -> None:
    s = Settings.from_env(
        {
            "HUB_DATABASE_URL": "postgresql+psycopg://u@h/db",
            "HUB_DB_POOL_SIZE": "3",
            "HUB_LOG_JSON": "no",
        }
    )
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert s.db_pool_size == 3
    assert s.log_json is False
    assert not s.is_sqlite
