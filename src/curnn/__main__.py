from curnn.cli import main

raise SystemExit(main())
