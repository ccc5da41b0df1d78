import { Type } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { fieldErrors } from './field-errors';

class Caller {
  @IsString()
  @Matches(/^1\d{10}$/)
  phone: string;
}

class Form {
  @IsIn(['help'])
  demandType: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(10)
  content: string;

  @IsObject()
  @ValidateNested()
  @Type(() => Caller)
  caller: Caller;
}

describe('fieldErrors', () => {
  it('names each field in English and in Chinese, nested fields by path', () => {
    const form = plainToInstance(Form, { demandType: 'x', content: '一二三四五六七八九十十一', caller: { phone: '12' } });
    const errors = fieldErrors(validateSync(form, { stopAtFirstError: true }));
    expect(errors).toEqual([
      expect.objectContaining({ field: 'demandType', code: 'isIn', messageZh: '诉求类型的取值不在允许范围内' }),
      expect.objectContaining({ field: 'content', code: 'maxLength', messageZh: '诉求内容不能超过10个字符' }),
      expect.objectContaining({ field: 'caller.phone', code: 'matches', messageZh: '联系电话格式不正确' }),
    ]);
    expect(errors[1].message).toMatch(/^content: /);
  });
});
