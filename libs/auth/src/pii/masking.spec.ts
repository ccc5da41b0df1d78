import { maskIdNumber, maskName, maskPhone } from './masking';

describe('masking personal data for display', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86138****5678'],
    [' 13800000000 ', '138****0000'],
    ['023-67700003', '023-****0003'],
    ['02367700003', '023****0003'],
    ['0851-8123456', '0851-***3456'],
    ['67700003', '****0003'],
    ['12333', '***33'],
    ['110', '*10'],
    ['12', '12'],
    ['', ''],
    [null, ''],
    [undefined, ''],
  ])('maskPhone(%p) → %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['500103199001011234', '500103********1234'],
    ['11010519491231002X', '110105********002X'],
    ['500103900101123', '500103*****1123'], // the old 15-digit form
    ['AB1234567', '*****4567'],
    ['12345', '***45'],
    ['', ''],
  ])('maskIdNumber(%p) → %p', (input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
  });

  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王', '*'],
    ['买买提·艾力', '买*****'],
    ['𠮷野家', '𠮷**'], // a character outside the BMP is one character
    ['  李四 ', '李*'],
    ['', ''],
    [null, ''],
  ])('maskName(%p) → %p', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});
