"""kehoach: theo dõi thực hiện Kế hoạch của Đảng ủy từ một tệp YAML đã kiểm tra."""

__version__ = "0.1.0"
