#ifndef ZIZHU_XLSX_ZIP_LEVEL_H
#define ZIZHU_XLSX_ZIP_LEVEL_H

/* The deflate level of the zip entries of every .xlsx libxlsxwriter writes in this process
   (see xlsx_zip_level.c). */
int zizhu_xlsx_deflate_level(void);

#endif
